"""Every change to placements, internships, agreements and preparation: one function per change."""
