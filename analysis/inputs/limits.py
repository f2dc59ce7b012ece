"""The package's limits, each stated once: what a year, an amount, a file and a run may be.

Plain constants (no imports), so that the command line can read them without loading the
data stack.
"""

YEAR_MIN, YEAR_MAX = 2000, 2100  # any year a file, an option or a scenario may name

MAX_CELL_LENGTH = 5000  # characters in one cell
# 1.000 mia. kr. in 1.000 kr.: far above any real amount here, far below where sums and
# products could overflow or lose the solver's precision
MAX_AMOUNT = 1e9
MAX_FILE_BYTES = 50_000_000
MAX_ROWS = 100_000  # data rows in one input file

MAX_SAMPLES = 1_000_000  # robustness draws: beyond this a run would take days, not hours
MAX_SEED = 2**32 - 1  # NumPy's seed range
MAX_WORKERS = 64
MAX_TIME_LIMIT = 7 * 24 * 3600.0  # seconds: a week
MAX_DRAW_GAP = 0.1  # a robustness run further than 10 % from its best says little about the best option
MAX_WEIGHT = 1000.0  # a potential's weight: the scores are 0–5, so more only scales the value
MAX_TIME_PREFERENCE = 1.0  # 100 % a year: an earlier start worth twice as much
MAX_FRAME_SCALE = 10.0  # a scenario's factor on a pool's frame

MAX_SCENARIO_BYTES = 100_000  # a scenario file is a few settings
MAX_SCENARIO_NAME = 80  # characters: a name is a heading and a file name, not a text
MAX_SCENARIO_DESCRIPTION = 2000  # characters

MAX_UNPACKED_BYTES = 200_000_000  # an .xlsx's parts unpacked: beyond this it is refused before it is read
MAX_NEEDS = 1000  # needs in one register: up to this HiGHS keeps to its time limit (README, Ydeevne)
