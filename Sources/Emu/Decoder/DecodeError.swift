/// Why bytes did not decode to an instruction.
public enum DecodeError: Error, Sendable, Equatable {
    /// An undefined or invalid encoding: #UD.
    case invalidOpcode
    /// The instruction would be longer than 15 bytes: #GP(0) (SDM vol. 2, 2.3.11).
    case tooLong
    /// More bytes are needed than were supplied (the fetch stopped at an unreadable page).
    case truncated
}
