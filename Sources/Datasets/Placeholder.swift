// Datasets: filled in by its issue.
