"""Every change to internships, their agreements and preparation: one function per change."""
