"""A private Docker engine and offline stand-in base images, for the compose test (deploy/tests).

Standard library only. Everything it keeps between runs lives under ``$ONEMATTER_CACHE/docker``
(default ``~/.cache/onematter/docker``): the engine's data root (so images and build cache survive and
a warm run takes minutes) and the Debian root file system the stand-ins start from.
"""
