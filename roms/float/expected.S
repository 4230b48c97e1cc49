/* expected.txt (the host CPU's result lines), NUL-terminated, for main.c. */
    .section .rodata
    .globl expected_lines
expected_lines:
    .incbin "expected.txt"
    .byte 0
    .section .note.GNU-stack, "", @progbits
