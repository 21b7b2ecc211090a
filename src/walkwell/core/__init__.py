"""The pure core: every rule of the program. No Django, no I/O, no clock."""
