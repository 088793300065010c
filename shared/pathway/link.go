package pathway

// Link is a link to an official page that helps people with a step: its
// words and its address.
type Link struct {
	// Text says where the link goes.
	Text string `json:"text" validate:"required,max=200,safetext"`
	// URL is the page's address.
	URL string `json:"url" validate:"required,max=500,url"`
}
