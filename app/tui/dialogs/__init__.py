"""Modal dialogs (``ModalScreen``): confirmations that return a value to their caller."""
