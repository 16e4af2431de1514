"""Modal screens: help, label picker, note editor, overlap picker, export dialog."""
