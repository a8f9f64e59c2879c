package detectsecrets

// transform returns the lines detect-secrets' get_transformed_file would
// hand to the plugins, or nil when it returns None or an empty list (the
// caller then reads the raw lines, or skips the eager pass).
//
// The transformers are tried in the order get_transformers() lists them
// (modules and class names sorted): ConfigFileTransformer (every file, not
// eager), EagerConfigFileTransformer (FileType.OTHER only, eager) and
// YAMLTransformer (.yaml, .yml and .eyaml, not eager). The first one whose
// should_parse_file and is_eager fit and whose parse_file does not raise
// ParsingError wins, even when it returns no lines.
func (s *Scanner) transform(filename, text string, eager bool) []string {
	ft := determineFileType(filename)
	if eager {
		if ft != ftOther {
			return nil
		}
		lines, _ := iniTransform(text, true)
		return lines
	}
	if lines, ok := iniTransform(text, false); ok {
		return lines
	}
	if ft == ftYAML {
		lines, _ := yamlTransform(text)
		return lines
	}
	return nil
}
