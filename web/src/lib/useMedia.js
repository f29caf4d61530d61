import { onBeforeUnmount, ref } from 'vue'

// True while the media query matches, e.g. useMedia('(max-width: 768px)').
export function useMedia(query) {
  const mql = window.matchMedia(query)
  const matches = ref(mql.matches)
  const update = (e) => (matches.value = e.matches)
  mql.addEventListener('change', update)
  onBeforeUnmount(() => mql.removeEventListener('change', update))
  return matches
}

export const PHONE_QUERY = '(max-width: 768px)'
