import Logging
print("probe")
