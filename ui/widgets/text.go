package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Caption is a line of quiet explanatory text that wraps.
func Caption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// Quiet is a short quiet label that does not wrap.
func Quiet(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	return l
}

// Heading is a bold heading over a group, with an optional note at its
// right end.
func Heading(title string, note fyne.CanvasObject) fyne.CanvasObject {
	l := widget.NewLabel(title)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.SizeName = theme.SizeNameSubHeadingText
	var line fyne.CanvasObject = l
	if note != nil {
		line = container.NewBorder(nil, nil, l, container.NewCenter(note))
	}
	return container.NewVBox(line, widget.NewSeparator())
}

// Title is a view's bold heading.
func Title(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}
