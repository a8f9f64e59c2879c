package detectsecrets

// transform returns the lines a detect-secrets transformer would produce
// for the file, or nil when none applies (the caller then uses the raw
// lines). The non-eager pass tries the config (INI) transformer on every
// file, then the YAML transformer for YAML files; the eager pass tries the
// config transformer with an added [global] header on files of no known
// type.
func (s *Scanner) transform(filename, text string, raw []string, eager bool) []string {
	ft := determineFileType(filename)
	if eager {
		if ft != ftOther {
			return nil
		}
		lines, ok := iniTransform(text, raw, true)
		if !ok {
			return nil
		}
		return lines
	}
	// get_transformed_file returns the first transformer that parses,
	// even with no lines; the caller then falls back to the raw lines.
	if lines, ok := iniTransform(text, raw, false); ok {
		return lines
	}
	if ft == ftYAML {
		if lines, ok := yamlTransform(text, raw); ok && len(lines) > 0 {
			return lines
		}
	}
	return nil
}
