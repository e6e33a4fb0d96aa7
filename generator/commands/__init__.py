"""One module per ``portal`` command: ``build`` (the pipeline, stage by stage), ``check``,
``serve`` (the live preview) and ``new`` (a notice skeleton)."""
