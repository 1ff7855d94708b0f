"""VersionAlias: atomic Lambda deployments through content-hashed versions and aliases."""

from .context import TransformContext
from .errors import TransformError
from .transform import transform

__all__ = ["TransformContext", "TransformError", "__version__", "transform"]
__version__ = "0.1.0"
