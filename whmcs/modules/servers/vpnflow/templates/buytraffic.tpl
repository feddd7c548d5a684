{* Buy additional traffic: the vpnflow traffic addons of this product with WHMCS's prices; "Order now"
   goes to WHMCS's cart. Variables: lib/ClientPage.php, lib/TrafficAddons.php. *}
<div class="vpnflow" data-page="buyTraffic">
  <h2>{$vpnflowText.buy.title|escape:'html'}</h2>
  <p>{$vpnflowText.buy.intro|escape:'html'}</p>
  {if $vpnflow.addons}
  <div class="list-group">
    {foreach $vpnflow.addons as $addon}
    <div class="list-group-item d-flex justify-content-between align-items-center flex-wrap" data-addon="{$addon.addonId|escape:'html'}">
      <div>
        <h3 class="h5 mb-1">{$addon.name|escape:'html'}</h3>
        {if $addon.description}<p class="mb-1 text-muted">{$addon.description|escape:'html'}</p>{/if}
        <p class="mb-0" data-price>{foreach $addon.prices as $price}{if !$price@first}, {/if}{$price|escape:'html'}{/foreach}</p>
      </div>
      <a class="btn btn-success" href="{$addon.orderUrl|escape:'html'}">{$vpnflowText.buy.orderNow|escape:'html'}</a>
    </div>
    {/foreach}
  </div>
  {else}
  <p class="text-muted">{$vpnflowText.buy.none|escape:'html'}</p>
  {/if}
</div>
