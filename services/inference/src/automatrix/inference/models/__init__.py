"""Local models served by the embedded Triton."""
