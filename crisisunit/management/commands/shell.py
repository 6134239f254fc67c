"""Django's shell, importing every model that can be imported by its path. The change
histories' models (django-simple-history) are made at start-up and live in no module,
so Django listed all eleven as "could not be automatically imported" at each start;
they are reached as `Placement.history.model` and the like."""

from importlib import import_module

from django.core.management.commands import shell


class Command(shell.Command):
    def get_auto_imports(self):
        return [path for path in super().get_auto_imports() or [] if _importable(path)]


def _importable(path: str) -> bool:
    module, _dot, name = path.rpartition(".")
    try:
        return hasattr(import_module(module), name)
    except ImportError:
        return False
