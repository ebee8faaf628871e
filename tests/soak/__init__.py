"""The fault soak: several devices, a faulty network and hub restarts over a long run."""
