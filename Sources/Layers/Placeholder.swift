// Layers: filled in by its issue.
