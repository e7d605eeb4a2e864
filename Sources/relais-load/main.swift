print("relais-load: not written yet")
