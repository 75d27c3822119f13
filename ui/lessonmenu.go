package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/lessons"
)

// loadLessons reads the built-in lessons and a teacher's own, from the
// lessons folder of the user's configuration. A malformed file is logged
// and skipped: the others still load.
func loadLessons() []lessons.Lesson {
	dir, err := lessons.UserDir()
	if err != nil {
		dir = ""
	}
	ls, errs := lessons.LoadAll(dir)
	for _, err := range errs {
		fyne.LogError("a lesson was skipped", err)
	}
	return ls
}

// lessonsMenu lists the lessons: one item for a lesson of one run, and for
// one of several a submenu of its runs, to train one after the other and
// compare in the kept runs.
func (s *Shell) lessonsMenu() *fyne.Menu {
	var items []*fyne.MenuItem
	for i, l := range s.lessons {
		title := fmt.Sprintf("%d. %s", i+1, l.Title)
		if len(l.Runs) == 1 {
			items = append(items, fyne.NewMenuItem(title, func() { s.startLesson(l, 0) }))
			continue
		}
		it := fyne.NewMenuItem(title, nil)
		runs := []*fyne.MenuItem{fyne.NewMenuItem(fmt.Sprintf("Race all %d runs", len(l.Runs)), func() { s.raceLesson(l) }), fyne.NewMenuItemSeparator()}
		for r, run := range l.Runs {
			runs = append(runs, fyne.NewMenuItem(fmt.Sprintf("Run %d: %s", r+1, run.Label), func() { s.startLesson(l, r) }))
		}
		it.ChildMenu = fyne.NewMenu("", runs...)
		items = append(items, it)
	}
	if len(items) == 0 {
		none := fyne.NewMenuItem("(no lessons)", nil)
		none.Disabled = true
		items = append(items, none)
	}
	return fyne.NewMenu("Lessons", items...)
}

// raceLesson sets the window up to race every run of lesson l: the first
// in the settings and on the pad, the others beside it in every comparison
// chart. The race waits, paused, while the dialog says what to watch and
// why; Space starts it.
func (s *Shell) raceLesson(l lessons.Lesson) {
	s.Release()
	cfgs := make([]engine.TrainConfig, len(l.Runs))
	names := make([]string, len(l.Runs))
	for i, r := range l.Runs {
		cfgs[i], names[i] = r.Config, r.Label
	}
	s.race(cfgs, names, true, func() {
		s.chooseLessonView(l)
		s.showMessage(lessonTitle(l), l.Watch+"\n\n"+l.Explain+"\n\nThe race of "+strings.Join(names, " against ")+" is ready, step for step from the same seed. Press Space to start it, and again to pause them all.")
	})
}

// chooseLessonView brings lesson l's view to the front.
func (s *Shell) chooseLessonView(l lessons.Lesson) {
	if i := slices.IndexFunc(s.panels.list, func(p *panel) bool { return strings.EqualFold(p.name, l.View) }); i >= 0 {
		s.panels.choose(i)
	}
}

// lessonTitle is lesson l's title with its chapter.
func lessonTitle(l lessons.Lesson) string {
	if l.Chapter != "" {
		return l.Title + " (chapter " + l.Chapter + ")"
	}
	return l.Title
}

// startLesson sets the window up for run r of lesson l: the settings take
// the run's configuration (the network is replaced, after asking if it has
// training to lose), the lesson's view comes to the front, and a dialog
// says what to watch and why. Space then trains it.
func (s *Shell) startLesson(l lessons.Lesson, r int) {
	s.Release()
	run := l.Runs[r]
	s.useConfig(run.Config, func() {
		s.chooseLessonView(l)
		text := l.Watch + "\n\n" + l.Explain
		if len(l.Runs) > 1 {
			var others []string
			for k, o := range l.Runs {
				if k != r {
					others = append(others, fmt.Sprintf("run %d (%s)", k+1, o.Label))
				}
			}
			text += fmt.Sprintf("\n\nThis is run %d of %d: %s. Press Space to train it; when it ends, start %s from the Lessons menu, and compare them in the kept runs. Or race them all at once: Lessons > this lesson > Race all %d runs.", r+1, len(l.Runs), run.Label, strings.Join(others, " and "), len(l.Runs))
		} else {
			text += "\n\nPress Space to train."
		}
		s.showMessage(lessonTitle(l), text)
	})
}
