"""AutoMatrix neuroweaver service."""
