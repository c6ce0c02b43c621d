// placeholder until the checks land
