"""Demo training: filled in below."""
