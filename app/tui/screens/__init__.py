"""One screen per file; each is a mode of the app (see ``app.tui.app``)."""
