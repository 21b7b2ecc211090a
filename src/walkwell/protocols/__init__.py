"""The protocols WalkWell ships, one TOML file each (read by ``core.protocol``).

Kept free of imports: the command line names the default protocol in its help
before any protocol is loaded.
"""

# The protocol a person follows unless they choose another.
DEFAULT = "seed-3-phase"
