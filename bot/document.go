package bot

import (
	"bytes"
	"context"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// document is a file to send: its name, content and HTML caption.
type document struct {
	name    string
	data    []byte
	caption string
}

// sendDocument uploads doc to chatID at prio through the outbound queue
// (retried as every call is), and records a chat that refuses the bot.
func (b *Bot) sendDocument(ctx context.Context, prio priority, chatID int64, doc document) error {
	_, err := call(ctx, b, chatID, sendOpts{prio: prio}, "sendDocument", func(ctx context.Context) (*models.Message, error) {
		// A reader per attempt: a retried upload starts from the first byte.
		return b.tg.SendDocument(ctx, &tg.SendDocumentParams{
			ChatID:    chatID,
			Document:  &models.InputFileUpload{Filename: doc.name, Data: bytes.NewReader(doc.data)},
			Caption:   doc.caption,
			ParseMode: models.ParseModeHTML,
		})
	})
	if err != nil {
		b.noteRefusal(ctx, chatID, err)
	}
	return err
}
