"""``portal import``: a published notice's raw text -> a draft notice that passes ``portal check``.

Stages: ``clean`` (decode, strip web-page furniture, repair encoding damage, join broken lines)
-> ``recognise`` (metadata, sections, categories, items, statuses, channels) -> ``render``
(Markdown notice and the editor's report).
"""
