"""The report layer's error, in a module of its own so that the command line can name it
without loading the renderer."""


class RenderError(Exception):
    """A notebook failed while rendering (the message names the notebook and cell), or
    another run holds the report."""
