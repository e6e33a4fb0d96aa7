"""What makes builds faster and nothing else: the build cache, what a preview keeps in memory,
and the one object through which a build reuses earlier work (``reuse.Reuse``)."""
