"""Stages 1-4 for every notice: load, validate, model and render, each notice on its own and
on every core, then the rules across notices. Shared by ``portal check`` and the build."""
