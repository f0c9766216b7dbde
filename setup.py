"""The one compiled part of paperls: the sketch kernel (server/paperls/core/_sketch.c).

It is optional: where it cannot be built (no C compiler), the install goes on and paperls
sketches with NumPy instead, with the same keys (core/sketch.py).
"""

import sys

from setuptools import Extension, setup

setup(ext_modules=[Extension(
    "paperls.core._sketch", ["server/paperls/core/_sketch.c"], optional=True,
    extra_compile_args=[] if sys.platform == "win32" else ["-O3"])])
