"""Text stages: normalization (reflow, glosses) and splitting compilations into documents."""
