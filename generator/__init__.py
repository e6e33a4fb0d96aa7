"""Static transparency-portal generator for rectification-progress notices.

Pipeline (one module per stage): load -> validate -> model -> generate -> engine -> index
-> publish. Everything but ``engine`` is free of MkDocs.
"""
