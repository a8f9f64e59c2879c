package detectsecrets

func iniTransform(text string, raw []string, addHeader bool) ([]string, bool) { return nil, false }
