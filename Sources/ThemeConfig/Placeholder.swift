// ThemeConfig: filled in by its issue.
