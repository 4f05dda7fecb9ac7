# Offline stand-in for get-pip.py, which ansible-test downloads and CI cannot reach: it
# bootstraps pip with ensurepip, then installs what ansible-test asked for from the index.
# .ci/ansible copies it into ansible-test's cache under the name of the pip version it wants.
# Part of nunet-onboard (Apache-2.0).
import ensurepip, os, subprocess, sys
ensurepip.bootstrap(upgrade=True)
os.environ.pop("PIP_CONFIG_FILE", None)   # ensurepip sets it to /dev/null
os.environ.pop("ENSUREPIP_OPTIONS", None)
pkgs = [a for a in sys.argv[1:] if not a.startswith("-")]
if "--no-setuptools" in sys.argv: pkgs = [p for p in pkgs if not p.startswith("setuptools")]
if "--no-wheel" in sys.argv: pkgs = [p for p in pkgs if not p.startswith("wheel")]
subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check"] + pkgs)
