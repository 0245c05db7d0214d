#!/usr/bin/env bash
# Gradescope runs this once, as root, from /autograder/source, when it builds the autograder's image
# (Gradescope's Ubuntu base image). It installs what gradecheck needs: Node.js 20, Python with numpy and
# PyTorch from Ubuntu's packages, gradecheck's npm dependencies, and the unprivileged user that student code
# runs as. Written by `gradecheck bundle`.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive

apt-get update -qq
apt-get install -y -qq ca-certificates curl python3 python3-numpy python3-torch >/dev/null

# Node.js 20 from NodeSource (Ubuntu's own nodejs is older than gradecheck's minimum, 20.19).
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash - >/dev/null
  apt-get install -y -qq nodejs >/dev/null
fi

cd gradecheck
# npm ci can refuse a lock file written by npm 11 (its optional-dependency bug); install installs the same versions.
npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-audit --no-fund

id -u student >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin student

# Fail the image build now, not the first student's grade.
node bin/gradecheck.mjs list >/dev/null
/usr/bin/python3 -c 'import numpy'
echo "gradecheck autograder: set up ($(node --version), $(/usr/bin/python3 -c 'import numpy; print("numpy", numpy.__version__)'))"
