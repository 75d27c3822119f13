// Package assets holds the files built into the app: the lessons, one JSON
// file each in assets/lessons (see ui/lessons for their format). A lesson
// added there is built in at the next build; one dropped into the lessons
// folder that ui/lessons.UserDir names needs no build at all.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed lessons/*.json
var lessons embed.FS

// Lessons returns the built-in lesson files, at the root of the returned
// file system.
func Lessons() fs.FS {
	sub, err := fs.Sub(lessons, "lessons")
	if err != nil {
		panic("assets: " + err.Error()) // "lessons" is a valid path, so never
	}
	return sub
}
