"""Media framing analysis."""
