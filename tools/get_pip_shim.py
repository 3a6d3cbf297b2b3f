"""Offline stand-in for get-pip.py used by ansible-test (ensurepip wheel, then pinned pip from PyPI).

ansible-test downloads a get-pip bootstrap script from a host this machine cannot reach; copy this
file to ~/.ansible/test/cache/get_pip_<ver>.py (24_2 for ansible-core 2.19, 25_2 for 2.21) first.
ensurepip must run in a subprocess: in-process it sets PIP_CONFIG_FILE=/dev/null and the machine's
pip.conf (certificate settings) would be lost, giving SSL CERTIFICATE_VERIFY_FAILED.
"""

import subprocess
import sys

subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check"] + args)
