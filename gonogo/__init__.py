"""gonogo: launch-readiness evidence for autonomous engineering agents."""

__version__ = "0.1.0"
