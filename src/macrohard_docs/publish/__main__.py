import gc

gc.disable()  # what the build imports lives as long as it: sphinxrun.LanguageProcess enables it once forked
from .build import main  # noqa: E402

raise SystemExit(main())
