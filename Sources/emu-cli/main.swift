import Emu
print("swemu")
