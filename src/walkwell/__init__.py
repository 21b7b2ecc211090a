"""WalkWell: walking your way out of chronic low back pain."""

__version__ = "0.1.0"
