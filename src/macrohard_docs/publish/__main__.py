import gc
import sys

gc.disable()  # what the build imports lives as long as it: build.Languages enables it once forked
from .build import main  # noqa: E402

sys.exit(main())
