package cloudformation

func (b *builder) propagate(vp vgwPropagation) {}
func (b *builder) tgwFinish()                  {}
func (b *builder) peeringFinish()              {}
