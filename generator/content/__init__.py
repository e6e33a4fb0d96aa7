"""Stages 1-3, the core: notice files -> located diagnostics and the model (``Notice``,
``Item``, ``Portal``). Plain Python: no Jinja, MkDocs or Pagefind."""
