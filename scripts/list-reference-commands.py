"""Writes the reference CLI's top-level command names, in its order, one per line.

`aws <unknown>` lists every top-level command of the reference in its usage error; we keep that list as
data (src/cli/data/top-level-commands.txt) so the error is byte-identical. Run with the reference installed:
    python3 scripts/list-reference-commands.py > src/cli/data/top-level-commands.txt
"""
import os
import tempfile

os.environ["HOME"] = tempfile.mkdtemp()
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
from awscli.clidriver import create_clidriver  # noqa: E402

driver = create_clidriver()
for name in driver._get_command_table():
    print(name)
