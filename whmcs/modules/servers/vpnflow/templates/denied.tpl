{* A page the product does not allow (its link in the menu is dimmed), reached directly. *}
<div class="vpnflow" data-page="denied">
  <div class="alert alert-danger" role="alert">
    <h2 class="h4">{$vpnflowText.common.accessDenied|escape:'html'}</h2>
    <p class="mb-0">{$vpnflowText.common.accessDeniedText|escape:'html'}</p>
  </div>
  <p><a class="btn btn-secondary" href="{$vpnflow.links.overview|escape:'html'}">{$vpnflowText.nav.overview|escape:'html'}</a></p>
</div>
