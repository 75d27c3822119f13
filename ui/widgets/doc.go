// Package widgets holds the widgets every view of the playground builds
// with: fields, lists and a slider that leave the window's keys to the
// window, aligned form rows, chart images that the shell's render worker
// fills, and the status dot. Their sizes come from the theme (its text size
// and padding), never from pixel constants, so that a larger theme or
// FYNE_SCALE keeps them legible.
//
// A view makes its widgets through a Kit, which carries the window's
// keyboard: a list that was picked from, a slider that was dragged and a
// button that was tapped hand the keyboard back to the window by
// themselves, and every key they do not use reaches the window. No view has
// to remember to do it.
package widgets
