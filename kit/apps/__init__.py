"""App builders: each returns a widget tree; the notebooks only call them."""
