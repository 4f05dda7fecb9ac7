"""nunet-onboard: put a machine on the NuNet compute network."""
